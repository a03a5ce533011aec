"""Model backends behind one contract (see base.py). No Streamlit in here."""
