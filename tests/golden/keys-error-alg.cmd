ipsec-keys -K tests/data/keys/bad-alg.keys
