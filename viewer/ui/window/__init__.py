"""The window shell: the application, the main window, its actions, centre and history."""
