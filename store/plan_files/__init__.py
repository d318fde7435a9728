"""Plan files: reading YAML, CSV and XLSX plans into the store and writing them back out."""
