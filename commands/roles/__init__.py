"""The role directory: who holds which owner role, from chat and the terminal."""
