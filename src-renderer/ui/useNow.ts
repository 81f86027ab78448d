// The current time, refreshed every `every_ms`: for ages ("4 s ago") and the clock.
import { useEffect, useState } from 'react';

export function useNow(every_ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), every_ms);
    return () => clearInterval(id);
  }, [every_ms]);
  return now;
}
