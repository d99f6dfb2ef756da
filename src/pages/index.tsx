import type { ReactNode } from 'react';
import Link from '@docusaurus/Link';
import Layout from '@theme/Layout';
import useDocusaurusContext from '@docusaurus/useDocusaurusContext';
import { useBaseUrlUtils } from '@docusaurus/useBaseUrl';
import styles from './index.module.css';

interface Entry {
  to: string;
  title: string;
  text: string;
}

const entries: readonly Entry[] = [
  {
    to: '/docs/introduction/about',
    title: 'Start here',
    text: 'What these guides cover, who they are for, and how a runbook page works.',
  },
  {
    to: '/docs/self-hosting',
    title: 'Self-hosting',
    text: 'The hosts, paths and keys a self-hosted SpacetimeDB depends on.',
  },
  {
    to: '/docs/how-to',
    title: 'How-to guides',
    text: 'Step-by-step runbooks: rotate signing keys, move data between hosts.',
  },
  {
    to: '/docs/reference',
    title: 'Reference',
    text: 'Exact formats, flags, exit codes and markers.',
  },
];

export default function Home(): ReactNode {
  const { siteConfig } = useDocusaurusContext();
  // Always prefix the base URL: with BASE_URL=/docs/ a path such as /docs/how-to would otherwise be
  // taken as already carrying it.
  const { withBaseUrl } = useBaseUrlUtils();
  return (
    <Layout title="Home" description={siteConfig.tagline}>
      <main className={styles.main}>
        <h1 className={styles.title}>{siteConfig.title}</h1>
        <p className={styles.tagline}>{siteConfig.tagline}</p>
        <ul className={styles.entries}>
          {entries.map((entry) => (
            <li key={entry.to} className={styles.entry}>
              <Link to={withBaseUrl(entry.to, { forcePrependBaseUrl: true })} autoAddBaseUrl={false} className={styles.entryLink}>
                {entry.title}
              </Link>
              <p>{entry.text}</p>
            </li>
          ))}
        </ul>
      </main>
    </Layout>
  );
}
