"""The ledger: what a runner did, and every fact derived from it (weeks, streaks, badges, PRs, groups)."""
