"""Calendar providers: free/busy and, later, invites in Google Calendar and Outlook."""
