"""The knowledge side: topic files, composed answers, the scam check, topic choice and the source registry. Imports only db-free modules and bot.situation."""
