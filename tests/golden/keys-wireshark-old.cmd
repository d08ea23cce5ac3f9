ipsec-keys -K tests/data/corpus/wireshark-wiki/ipsec_esp_capture_1/esp_sa
