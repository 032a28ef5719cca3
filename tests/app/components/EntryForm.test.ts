import { afterEach, describe, expect, it } from 'vitest'
import { mount, type VueWrapper } from '@vue/test-utils'
import EntryForm from '../../../src/app/components/entry/EntryForm.vue'
import { useI18n } from '../../../src/app/i18n/useI18n.ts'
import type { Counts } from '../../../src/domain/indicators.ts'

type Props = InstanceType<typeof EntryForm>['$props']

function mountForm(props: Props = {}): VueWrapper {
  return mount(EntryForm, { props, attachTo: document.body })
}

/** The input whose <label> reads `label`, found the way a screen reader would. */
function field(wrapper: VueWrapper, label: string) {
  const labelEl = wrapper.findAll('label').find(
    (l) =>
      l
        .text()
        .replace(/\(.*\)/, '')
        .trim() === label,
  )
  if (!labelEl) throw new Error(`No field labelled ${label}`)
  return wrapper.find(`#${CSS.escape(labelEl.attributes('for')!)}`)
}

async function type(wrapper: VueWrapper, label: string, text: string): Promise<void> {
  const input = field(wrapper, label)
  await input.setValue(text)
  await input.trigger('blur')
}

function rate(wrapper: VueWrapper, indicator: string): string {
  return wrapper.find(`[data-indicator="${indicator}"]`).text()
}

afterEach(() => {
  useI18n().locale.value = 'vi'
  document.body.innerHTML = ''
})

describe('EntryForm parsing', () => {
  it.each([
    ['96.688', '96.688'],
    ['96688', '96.688'],
    ['96 688', '96.688'],
    ['  1234 ', '1.234'],
  ])('reads %j and shows it back as %j', async (typed, shown) => {
    const wrapper = mountForm()
    await type(wrapper, 'Hồ sơ tiếp nhận', typed)
    expect((field(wrapper, 'Hồ sơ tiếp nhận').element as HTMLInputElement).value).toBe(shown)
  })

  it('asks for the numeric keyboard on every count', () => {
    const wrapper = mountForm()
    const inputs = wrapper.findAll('input')
    expect(inputs).toHaveLength(6)
    for (const input of inputs) expect(input.attributes('inputmode')).toBe('numeric')
  })
})

describe('EntryForm validation messages', () => {
  it.each([
    ['abc', 'Chỉ nhập chữ số, ví dụ 96.688.'],
    ['1e12', 'Chỉ nhập chữ số, ví dụ 96.688.'],
    ['-5', 'Số hồ sơ không được âm.'],
    ['1,5', 'Số hồ sơ phải là số nguyên (dấu phẩy là dấu thập phân).'],
    ['96.68', 'Số hồ sơ phải là số nguyên (dấu phẩy là dấu thập phân).'],
    ['2.000.000', 'Số quá lớn: tối đa 1.000.000 hồ sơ một tháng.'],
  ])('%j shows %j under the field and marks it invalid', async (typed, message) => {
    const wrapper = mountForm()
    await type(wrapper, 'Hồ sơ tiếp nhận', typed)
    const input = field(wrapper, 'Hồ sơ tiếp nhận')
    expect(input.attributes('aria-invalid')).toBe('true')
    const describedBy = input.attributes('aria-describedby')!.split(' ')
    const error = describedBy.map((id) => document.getElementById(id)?.textContent).join(' ')
    expect(error).toContain(message)
  })

  it('refuses digitized above received with both numbers in the message', async () => {
    const wrapper = mountForm()
    await type(wrapper, 'Hồ sơ tiếp nhận', '96.688')
    await type(wrapper, 'Hồ sơ đã số hoá', '100000')
    expect(wrapper.text()).toContain(
      'Hồ sơ đã số hoá (100.000) không được lớn hơn hồ sơ tiếp nhận (96.688).',
    )
    await wrapper.find('form').trigger('submit')
    expect(wrapper.emitted('save')).toBeUndefined()
    expect(wrapper.find('[role="alert"]').text()).toBe('Chưa lưu: còn 1 lỗi cần sửa.')
  })

  it('does not show errors for untouched fields until a save is attempted', async () => {
    const wrapper = mountForm()
    expect(wrapper.text()).not.toContain('Vui lòng nhập')
    await wrapper.find('form').trigger('submit')
    expect(wrapper.text()).toContain('Vui lòng nhập hồ sơ tiếp nhận.')
    expect(wrapper.text()).toContain('Vui lòng nhập hồ sơ đã số hoá.')
    expect(wrapper.emitted('save')).toBeUndefined()
  })

  it('saves parsed whole numbers, leaving blank optional fields unreported', async () => {
    const wrapper = mountForm()
    await type(wrapper, 'Hồ sơ tiếp nhận', '96.688')
    await type(wrapper, 'Hồ sơ đã số hoá', '71 704')
    await wrapper.find('textarea').setValue('  Tháng có đợt cao điểm  ')
    await wrapper.find('form').trigger('submit')
    expect(wrapper.emitted('save')).toEqual([
      [{ counts: { received: 96688, digitized: 71704 }, note: 'Tháng có đợt cao điểm' }],
    ])
  })

  it('keeps the save button focusable while saving, and saves once', async () => {
    const wrapper = mountForm({ saving: true })
    await type(wrapper, 'Hồ sơ tiếp nhận', '120')
    await type(wrapper, 'Hồ sơ đã số hoá', '80')
    const button = wrapper.get<HTMLButtonElement>('button[type="submit"]')
    // A disabled button would lose keyboard focus to <body> the moment the save starts.
    expect(button.element.disabled).toBe(false)
    expect(button.attributes('aria-disabled')).toBe('true')
    await wrapper.find('form').trigger('submit')
    expect(wrapper.emitted('save')).toBeUndefined()
    await wrapper.setProps({ saving: false })
    expect(button.attributes('aria-disabled')).toBeUndefined()
    await wrapper.find('form').trigger('submit')
    expect(wrapper.emitted('save')).toHaveLength(1)
  })

  it('speaks English when the language is switched', async () => {
    useI18n().locale.value = 'en'
    const wrapper = mountForm()
    await type(wrapper, 'Dossiers received', '-3')
    expect(wrapper.text()).toContain('A count cannot be negative.')
  })

  it('warns, without blocking, about a value far outside the unit history', async () => {
    const history: Counts[] = [300, 320, 310, 305, 290, 315].map((received) => ({
      received,
      digitized: 200,
    }))
    const wrapper = mountForm({ history })
    await type(wrapper, 'Hồ sơ tiếp nhận', '3.100')
    await type(wrapper, 'Hồ sơ đã số hoá', '200')
    expect(wrapper.text()).toContain('Khác thường so với các tháng trước')
    await wrapper.find('form').trigger('submit')
    expect(wrapper.emitted('save')).toHaveLength(1)
  })
})

describe('EntryForm rates', () => {
  it('computes the digitization rate live from the counts, in vi-VN', async () => {
    const wrapper = mountForm()
    expect(rate(wrapper, 'digitization')).toBe('–')
    await type(wrapper, 'Hồ sơ tiếp nhận', '96.688')
    await type(wrapper, 'Hồ sơ đã số hoá', '71.704')
    expect(rate(wrapper, 'digitization')).toBe('74,16%')
    expect(rate(wrapper, 'eResults')).toBe('–')
  })

  it('formats rates for English', async () => {
    useI18n().locale.value = 'en'
    const wrapper = mountForm()
    await type(wrapper, 'Dossiers received', '200')
    await type(wrapper, 'Dossiers received online', '57')
    expect(rate(wrapper, 'online')).toBe('28.50%')
  })

  it('shows no rate from a field that does not parse', async () => {
    const wrapper = mountForm()
    await type(wrapper, 'Hồ sơ tiếp nhận', '100')
    await type(wrapper, 'Hồ sơ đã số hoá', '5O')
    expect(rate(wrapper, 'digitization')).toBe('–')
  })
})

describe('EntryForm copy last month and drafts', () => {
  it('copies last month into the fields', async () => {
    const wrapper = mountForm({ previous: { received: 1200, digitized: 900, online: 40 } })
    await wrapper
      .findAll('button')
      .find((b) => b.text() === 'Chép số liệu tháng trước')!
      .trigger('click')
    expect((field(wrapper, 'Hồ sơ tiếp nhận').element as HTMLInputElement).value).toBe('1.200')
    expect((field(wrapper, 'Hồ sơ tiếp nhận trực tuyến').element as HTMLInputElement).value).toBe(
      '40',
    )
    expect((field(wrapper, 'Hồ sơ đã giải quyết').element as HTMLInputElement).value).toBe('')
  })

  it('says so when there is nothing to copy', async () => {
    const wrapper = mountForm()
    await wrapper
      .findAll('button')
      .find((b) => b.text() === 'Chép số liệu tháng trước')!
      .trigger('click')
    expect(wrapper.text()).toContain('Tháng trước chưa có số liệu.')
  })

  it('restores initial input and reports every change as a draft', async () => {
    const wrapper = mountForm({ initialInput: { received: '12' }, initialNote: 'ghi chú' })
    expect((field(wrapper, 'Hồ sơ tiếp nhận').element as HTMLInputElement).value).toBe('12')
    await field(wrapper, 'Hồ sơ đã số hoá').setValue('7')
    const drafts = wrapper.emitted('draft')!
    expect(drafts.at(-1)).toEqual([
      {
        input: {
          received: '12',
          digitized: '7',
          resolved: '',
          eResults: '',
          reused: '',
          online: '',
        },
        note: 'ghi chú',
      },
    ])
  })
})
