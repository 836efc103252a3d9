"""Statutory documents: HTML templates rendered to PDF by WeasyPrint; never writes the DB."""
