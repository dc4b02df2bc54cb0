import pg from 'pg';

/** A throwaway database on the PostgreSQL server at `url`, dropped afterwards. */
export async function scratchDatabase(url: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `hubspoke_approval_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const scratch = new URL(url);
  scratch.pathname = `/${name}`;
  return {
    url: scratch.toString(),
    drop: async () => {
      const again = new pg.Client({ connectionString: url });
      await again.connect();
      try {
        // Pools that were just ended may still be closing their sessions: wait for them rather than
        // have FORCE terminate them, which reaches a closing client as an unhandled 57P01 error.
        for (let attempt = 0; attempt < 50; attempt++) {
          try {
            await again.query(`DROP DATABASE IF EXISTS ${name}`);
            return;
          } catch (error) {
            if ((error as { code?: string }).code !== '55006') throw error; // 55006: still accessed by others
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
        }
        await again.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await again.end();
      }
    },
  };
}
