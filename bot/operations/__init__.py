"""Running Runlift for a club: metrics, health, logs, status, backups."""
