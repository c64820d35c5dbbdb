"""Privacy: redaction of personal data before anything is stored, and the retention job."""
