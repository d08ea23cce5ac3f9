ipsec-keys -K tests/data/corpus/wireshark-wiki/ipsec_ikev2_esp_aes-gcm_aes-ctr_aes-cbc/esp_sa -K tests/data/corpus/wireshark-wiki/ipsec_ikev2_esp_aes-gcm_aes-ctr_aes-cbc/ikev2_decryption_table
