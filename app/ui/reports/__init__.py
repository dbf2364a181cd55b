"""Printable documents (PDF) made with Qt's own text layout and PDF writer."""
