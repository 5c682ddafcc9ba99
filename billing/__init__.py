"""Shared billing (public schema): plans, Stripe subscriptions and euro-per-hour klussen.

Built in the billing issue; the app is registered now so its migrations land in the public schema.
"""
