"""Offline emulator of the SMS Partner Contact Rental API (synthetic data)."""
