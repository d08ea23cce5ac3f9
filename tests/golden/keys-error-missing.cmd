ipsec-keys -K tests/data/keys/no-such.keys
