"""The quiz: question bank, rules, the store of events, attempts and prizes, and the outbox that keeps writes through a database outage."""
