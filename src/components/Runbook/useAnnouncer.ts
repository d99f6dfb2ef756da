import { useCallback, useState } from 'react';

export interface Announcer {
  /** What the runbook's live region says now. */
  message: string;
  /** Says something in the live region (copy results, refusals, values taken from a link). */
  announce: (text: string) => void;
}

/** The message of a runbook's live region; the same message twice is announced twice. */
export function useAnnouncer(): Announcer {
  const [message, setMessage] = useState('');
  const announce = useCallback((text: string) => {
    // Clear first so that screen readers notice a repeated message.
    setMessage('');
    window.setTimeout(() => setMessage(text), 50);
  }, []);
  return { message, announce };
}
