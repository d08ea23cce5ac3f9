ipsec-keys -K tests/data/keys/bad-keylen.keys
