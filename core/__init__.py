"""The pure core of Runlift: training, logging and accountability rules; no transport or database."""
