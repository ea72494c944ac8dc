"""Jinja2 pages for people: chat, org dashboard, knowledge base, evals, login."""
