"""Fixing: applying rules' fixes to a module, describing them as text edits, the fix loop."""
