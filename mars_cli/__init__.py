"""mars: scrutiny and assurance records for a children's safeguarding partnership."""

__version__ = "0.1.0"
