"""Showcase and collective life (O9, O12, O13, O14): success stories, events and registrations, tiers-lieux and
their trainings, and the partnership of each EPCI with the strategy's pilots (the EPCI space)."""
