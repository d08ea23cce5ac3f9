ipsec-keys -K tests/data/keys/office.keys
