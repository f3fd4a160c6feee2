"""Survey pages: the guest's own (public.py), and what staff read and do (staff.py, lists.py)."""
