"""What the app's chat keeps: the session, saved conversations, feedback, the library view."""
