"""The demo and scale data: what `make run` shows and what the benchmark measures.

Not part of the running portal: every app's runtime modules stay free of it, and the seed
commands refuse to run in production mode. Each app's demo is data (lists, dicts, CSV and text
files) with small loaders that find each record by its natural key before creating it, so
seeding twice changes nothing. One package for every app because the seed crosses them
(countries before the people bound to them, organisations before the events and flows that
name them) and runs in that one order.
"""
