"""Rasa plug-ins: NLU components, channels and stores that config.yml, credentials.yml and endpoints.yml name by dotted path."""
