"""Referrals and gift points (issue 10): referral codes, gift points on the ledger, handicraft gifts."""
