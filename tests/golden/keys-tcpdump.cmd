ipsec-keys -K tests/data/corpus/tcpdump/esp-secrets.txt -K tests/data/corpus/tcpdump/ikev2pI2-secrets.txt
