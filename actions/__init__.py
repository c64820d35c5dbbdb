"""Thin Rasa SDK actions: read the tracker, call into ``bot/``, send replies."""
