"""What runs on a timer: the scheduler, the daily reminder run and the weekly summary."""
