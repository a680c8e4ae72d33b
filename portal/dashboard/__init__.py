"""Today (issue 18): the coordinator's day across every vendor, the cross-vendor calendar and the daily digest.

It only reads the domain apps' models; nothing below it imports it, and it never imports a vendor.
"""
