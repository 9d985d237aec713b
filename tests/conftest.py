import os
# Offline and quiet: litellm must use its bundled price list, and no real provider key may leak into a test.
os.environ.setdefault('LITELLM_LOCAL_MODEL_COST_MAP', 'True')
for k in ('ANTHROPIC_API_KEY','OPENAI_API_KEY','GEMINI_API_KEY','ANTHROPIC_API_BASE','OPENAI_API_BASE','GEMINI_API_BASE'):
    os.environ.pop(k, None)
