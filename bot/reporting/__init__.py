"""Campaign reporting: ingesting Rasa's events, dashboard queries and filters, exports, event statistics and unanswered-question groups."""
