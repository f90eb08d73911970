"""The Carson chat: a Textual face over the agent.

``carson.tui.app.build_app(settings)`` builds the app; ``carson.tui.manager.ChatManager``
drives the agent and returns plain structures (it never imports Textual).
"""
