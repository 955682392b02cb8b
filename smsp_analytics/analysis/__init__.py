"""Sweeps over many targetings and budget plans."""
