import { t } from '../l10n';
import type { AuthMethod, SiteInfo } from '../store/types';

/** The sign-in method's name as the user knows it (Cloud calls Basic with an API token "API token"). */
export function methodLabel(method: AuthMethod, site?: SiteInfo): string {
  switch (method) {
    case 'oauth1':
      return t('OAuth 1.0a');
    case 'pat':
      return t('Personal access token');
    case 'basic':
      return site?.deploymentType === 'Cloud' ? t('API token') : t('Basic authentication');
    case 'oauth2':
      return t('OAuth 2.0');
  }
}
