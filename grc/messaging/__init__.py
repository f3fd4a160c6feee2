"""Outbound messages: record, render and deliver e-mail and SMS exactly once."""
