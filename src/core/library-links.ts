/**
 * The addresses of the submission, library and collection pages (issue 13, decisions 032 and
 * 033), in one place so that the routes, the pages and the feeds agree. Collection ids are
 * base64url (core/accounts.ts newId): they go into a path as they are.
 */
export const libraryPaths = {
  submit: () => '/submit',
  library: (filter?: 'unread' | 'read', page = 1) => {
    const q = [...(filter ? [`filter=${filter}`] : []), ...(page > 1 ? [`page=${page}`] : [])];
    return `/me/library${q.length ? `?${q.join('&')}` : ''}`;
  },
  save: () => '/me/library/save',
  unsave: () => '/me/library/unsave',
  markRead: () => '/me/library/read',
  newCollection: () => '/me/collections',
  /** a collection's page; its first page has no `?page=` */
  collection: (id: string, page = 1) => `/collections/${encodeURIComponent(id)}${page > 1 ? `?page=${page}` : ''}`,
  collectionFeed: (id: string) => `/collections/${encodeURIComponent(id)}/feed.atom`,
  collectionAction: (id: string, action: 'rename' | 'visibility' | 'delete' | 'add' | 'remove') => `/collections/${encodeURIComponent(id)}/${action}`,
  apiSubmissions: () => '/api/v1/submissions',
  apiLibrary: (paperId: string) => `/api/v1/library/${paperId}`,
};
