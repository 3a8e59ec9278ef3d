"""Partner offices (issue 13): errands filed for walk-in customers, routed to the office nearest the destination."""
