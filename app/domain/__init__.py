"""Pure domain: entities, rules, events and ports. Standard library only."""
