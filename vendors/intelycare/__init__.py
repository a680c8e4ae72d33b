"""IntelyCare: per-diem shift requests, timecards and signed shift-status webhooks (vendor-docs/intelycare-api.txt)."""
