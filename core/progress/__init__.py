"""Progress: the series of one exercise, its chart, and the data export."""
