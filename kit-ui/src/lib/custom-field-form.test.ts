import t from 'tap';
import { customFieldName, optionsFromText, optionsToText } from './custom-field-form';

t.test('a technical name from a label, as the server accepts it', async (t) => {
  t.equal(customFieldName('Région (EU)'), 'x_region_eu');
  t.equal(customFieldName('!!!'), 'x_field');
  t.match(customFieldName('a'.repeat(60)), /^x_[a-z0-9_]{1,40}$/);
});

t.test('options one a line; values kept when written "value = Label"', async (t) => {
  t.same(optionsFromText('North\n\n South America '), [
    { value: 'north', label: 'North' },
    { value: 'south_america', label: 'South America' },
  ]);
  const options = [{ value: 'n', label: 'Northern region' }];
  t.same(optionsFromText(optionsToText(options)), options);
});
