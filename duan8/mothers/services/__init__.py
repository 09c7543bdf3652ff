"""The registry's services: every write of mothers, cases, rules and payments goes through here."""
