ipsec-keys --show-keys --json -K tests/data/keys/office.keys
