ipsec-keys 
