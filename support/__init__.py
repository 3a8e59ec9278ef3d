"""The support desk (issue 12): tickets from phone, chat, the profile form and email."""
