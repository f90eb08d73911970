"""The chat's screens: chat, help, draft and rehearsal."""
