import type { ConsoleLink } from '../web/console-layout.ts';

/** The administrator console's sections, in the order of its navigation (every /admin page uses them). */
export const adminSections: readonly ConsoleLink[] = [
  { href: '/admin', label: 'Overview' },
  { href: '/admin/applications', label: 'Applications' },
  { href: '/admin/organizations', label: 'Organizations' },
  { href: '/admin/production-requests', label: 'Production requests' },
  { href: '/admin/users', label: 'Users' },
  { href: '/admin/communities', label: 'Communities' },
  { href: '/admin/audit', label: 'Audit log' },
  { href: '/review', label: 'Review queue' },
];
